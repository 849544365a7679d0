"""«Уведомления»: the notification centre (u from the shell), the event × channel matrix,
the channels (e-mail digest, Telegram, the organisation's webhooks) and the newsletter
subscription. The unread count in the shell's header comes from ``poll``, started by the
app at sign-in (``screens.notifications.poll:start_polling``)."""
