#!/usr/bin/env python3
"""Pet-Friendly's management entry point, as far as recon's contract needs it."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petfriendly.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
