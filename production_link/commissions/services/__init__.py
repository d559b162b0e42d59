"""Writes of commissions. Split by subject: bookings of services (jasa) and goods made to
order for an accepted quote."""
