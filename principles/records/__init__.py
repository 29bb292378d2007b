"""What principles and consent rounds leave in a workshop's records: their part of the
exports, the import and the report (the workshop's are in workshops/records/)."""
