"""Pure extraction functions: header, citations, tasks, deadlines. No I/O here."""
