"""A participant's rights as a data subject (rekisteröidyn oikeudet): access and
portability, consent history, erasure, restriction and the retention rule.
The blueprint is in views.py (like signoff's), so the sync push can use
frozen.py without loading the desk's pages."""
