"""The privacy notice: find it among the crawled pages and check what GDPR Art. 13 requires of it."""
