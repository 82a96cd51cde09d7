//! One module per subcommand.

pub mod bench;
pub mod bundle;
pub mod demo;
pub mod dev;
pub mod new;
pub mod render;
