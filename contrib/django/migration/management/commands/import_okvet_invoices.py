from migration.recon import ImportCommand


class Command(ImportCommand):
    recon_command = ("import", "invoices")
