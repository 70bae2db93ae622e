"""Who receives the data: labels for every host and cookie (organisation, country, DPF status,
purpose, party) and the per-phase table of recipients."""
