"""Web plumbing shared by every blueprint: GOV.UK Frontend wiring, security headers, error pages."""
