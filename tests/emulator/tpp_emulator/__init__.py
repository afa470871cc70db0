"""A stand-in for Venafi TPP's VEDAuth and WebSDK token endpoints, served over HTTPS (see ../README.md)."""
