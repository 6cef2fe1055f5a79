from ctkg.cli import main

main()
