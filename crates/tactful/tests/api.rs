use tactful::{Assessment, Engine, Error, Playbook};

#[test]
fn auto_traits() {
    fn check<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
    check::<Engine>();
    check::<Assessment>();
    check::<Error>();
    check::<Playbook>();
}

#[test]
fn default_playbook_loads() {
    let pb = Playbook::default_playbook().unwrap();
    assert_eq!(pb.categories.len(), 11);
}
