"""Forms as a visitor meets them: what each control asks (consent, terms, remember-me), which purposes a
consent names, and who receives what the form sends."""
