"""The «Поддержка» mode: contacts, open requests, the request and callback forms, my
requests with the conversation and read grants, and the help pages (``help/*.md``). The
app opens SupportScreen through screens.shell:SupportScreen."""
