"""The serverless product around the one scan use case: the site registry, the scan queue, per-site
schedules and change alerts, each a `typing.Protocol` port with a local and an AWS adapter, and one
`compose()` per entry point that picks them (CLI, Lambda handlers)."""
