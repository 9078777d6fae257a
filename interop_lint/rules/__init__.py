"""The rules, one module each, grouped by family; `registry` finds them."""
