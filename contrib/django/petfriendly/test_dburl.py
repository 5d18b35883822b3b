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


    def test_round_trip(self):
        """What the management commands hand recon reads back as the same settings."""
        cases = [
            {"NAME": "", "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "OPTIONS": {}},
            {"NAME": "petfriendly", "USER": "ana", "PASSWORD": "s@c:r/et ñ", "HOST": "db.clinic.local", "PORT": "6432",
             "OPTIONS": {"sslmode": "require"}},
            {"NAME": "re con", "USER": "postgres", "PASSWORD": "", "HOST": "/tmp/recon pg", "PORT": "54321",
             "OPTIONS": {"sslmode": "disable"}},
            {"NAME": "pf", "USER": "u", "PASSWORD": "", "HOST": "h1,h2", "PORT": "5432,5433", "OPTIONS": {}},
            {"NAME": "pf", "USER": "", "PASSWORD": "p&w=1?", "HOST": "::1", "PORT": "", "OPTIONS": {}},
        ]
        for db in cases:
            with self.subTest(db=db):
                self.assertEqual(dburl.parse(dburl.to_url(db)), db)
        self.assertEqual(dburl.to_url({"NAME": "pf", "PORT": 5432, "OPTIONS": {"isolation_level": 1}}),
                         "postgres:///pf?port=5432")


if __name__ == "__main__":
    unittest.main()
