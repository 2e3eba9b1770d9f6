"""Files in and out: roster import and export (CSV and XLSX)."""
