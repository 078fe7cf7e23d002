from quotes.cli import main

main(prog_name="quotes")
