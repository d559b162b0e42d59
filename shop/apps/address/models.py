from oscar.apps.address.models import *
