"""Whoosh index of talks: schema, analyzers, writing and searching plain documents."""
