"""Messages the bot starts on its own, one module a feature: the planners a tick runs
(which rows become due in the deliveries table) and the renderers the outbox calls
(what each row says, read from the database when it is sent)."""
