"""XL: the contract between the two sides."""
