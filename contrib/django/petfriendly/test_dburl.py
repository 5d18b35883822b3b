"""DATABASE_URL in the forms recon accepts becomes Django's settings (run by store's tests)."""
import unittest

from petfriendly import dburl


class ParseTest(unittest.TestCase):
    def test_forms(self):
        cases = [
            ("", {"NAME": "", "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "OPTIONS": {}}),
            ("postgres://ana:s%40cret@db.clinic.local:6432/petfriendly?sslmode=require",
             {"NAME": "petfriendly", "USER": "ana", "PASSWORD": "s@cret", "HOST": "db.clinic.local", "PORT": "6432",
              "OPTIONS": {"sslmode": "require"}}),
            ("postgresql://postgres@/recon?host=/tmp/recon-pg-1a2b&port=54321&sslmode=disable",
             {"NAME": "recon", "USER": "postgres", "PASSWORD": "", "HOST": "/tmp/recon-pg-1a2b", "PORT": "54321",
              "OPTIONS": {"sslmode": "disable"}}),
            ("postgres://[::1]:5433/pf", {"NAME": "pf", "USER": "", "PASSWORD": "", "HOST": "::1", "PORT": "5433",
                                           "OPTIONS": {}}),
            ("host=/var/run/postgresql dbname=pf user=clinic password='a b' pool_max_conns=4",
             {"NAME": "pf", "USER": "clinic", "PASSWORD": "a b", "HOST": "/var/run/postgresql", "PORT": "",
              "OPTIONS": {}}),
            ("postgres://u@h1:5432,h2:5433/pf", {"NAME": "pf", "USER": "u", "PASSWORD": "", "HOST": "h1,h2",
                                                 "PORT": "5432,5433", "OPTIONS": {}}),
        ]
        for url, want in cases:
            with self.subTest(url=url):
                self.assertEqual(dburl.parse(url), want)


if __name__ == "__main__":
    unittest.main()
