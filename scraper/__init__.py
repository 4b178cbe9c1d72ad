"""Turn sources (URLs, files, folders, WARC files) into archived pages and extractions."""
