fn main() -> std::process::ExitCode {
    credence::cli::main()
}
