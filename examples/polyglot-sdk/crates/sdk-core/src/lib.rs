/// Greets someone, in every language the SDK ships to.
pub fn greet(name: &str) -> String {
    format!("hello, {name}")
}
