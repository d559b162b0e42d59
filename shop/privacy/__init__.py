"""Buyers' personal data under Indonesia's data protection law (UU 27/2022): the privacy
notice, the buyer's data download and account erasure, the retention of guest orders'
contact data, and the audit line staff see for each."""
