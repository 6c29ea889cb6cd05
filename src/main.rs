fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let src = vouch::source::SourceFile::new(path, text);
    match vouch::syntax::parse(&src) {
        Ok(p) => println!("{} decisions, {} params", p.decisions.len(), p.params.len()),
        Err(es) => {
            for e in es {
                eprintln!("{:?}", miette::Report::new(e));
            }
        }
    }
}
