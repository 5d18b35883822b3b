from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.ROLE_ADMIN)
        if not extra["is_staff"] or not extra["is_superuser"]:
            raise ValueError("a superuser must have is_staff and is_superuser")
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser):
    """Everyone who logs in to Pet-Friendly; clients migrated from OkVet are owners.

    Logins are by e-mail. Owners migrated by recon get an unusable password
    ("!") and set their own on first login. Permissions are not modelled per
    group: an active staff user may use the whole admin.
    """

    ROLE_OWNER = "owner"
    ROLE_VET = "vet"
    ROLE_STAFF = "staff"
    ROLE_ADMIN = "admin"
    ROLE_CHOICES = [(ROLE_OWNER, "Owner"), (ROLE_VET, "Veterinarian"), (ROLE_STAFF, "Staff"), (ROLE_ADMIN, "Administrator")]

    email = models.EmailField(unique=True)
    first_name = models.TextField(blank=True)
    last_name = models.TextField(blank=True)
    role = models.CharField(max_length=20, choices=ROLE_CHOICES, default=ROLE_OWNER)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_superuser = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    def __str__(self):
        return self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    def has_perm(self, perm, obj=None):
        return self.is_active and (self.is_superuser or self.is_staff)

    def has_perms(self, perm_list, obj=None):
        return all(self.has_perm(p, obj) for p in perm_list)

    def has_module_perms(self, app_label):
        return self.is_active and (self.is_superuser or self.is_staff)
