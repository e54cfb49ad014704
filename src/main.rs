// Analysis makes and drops many small strings and vectors per article, on
// every worker thread; mimalloc serves them from per-thread free lists.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    credence::cli::main()
}
