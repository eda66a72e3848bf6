"""What every QR code the portal prints shares (certificates, stamp labels): pure constants, no settings."""

# Any of the eight masks is valid QR and every reader decodes it; segno's search for the best one (eight penalty
# scores per code) was three quarters of its time per code, for certificates and stamps alike. The tests decode the
# printed certificates and stamp labels with zbar.
QR_MASK = 2
