//! The live preview: a site kept in memory and rebuilt on every save (`rebuild`), the file
//! watcher (`watch`), the HTTP server (`http`) and the command that ties them together (`serve`).

pub mod http;
pub mod rebuild;
pub mod serve;
pub mod watch;
