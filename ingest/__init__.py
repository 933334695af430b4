"""Reading inventories into validated records, or a list of problems."""
