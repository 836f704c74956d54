"""``python -m kg`` runs the command-line interface."""

from kg.cli import run

if __name__ == "__main__":
    run()
