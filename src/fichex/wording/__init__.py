"""Every French word users read (titles, sentences, labels, statuses, summaries, number formats), one module
per surface: numbers, grammar, model_text, deck, notes, workbook, territoire, levels, console, index_page,
commentary. Callers import the module they need (`from fichex.wording import deck as deck_text`)."""
