"""Command line interface."""
def main():  # replaced below
    raise SystemExit("not yet")
