"""Commissions (issue 16): goods made to order for a quote, and services (jasa) booked
for a date with a capacity per workshop per day."""
