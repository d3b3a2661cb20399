/// Where logged sessions go: storage's `BatchSessionWriter` (which commits in batches on its
/// own thread while the next block is simulated), or a test sink. Sessions arrive in
/// (user, session) order from one thread; `flush` returns once all of them are durable.
/// It lives in Core so the simulator writes sessions without knowing about SQLite
/// (docs/ARCHITECTURE.md §1), as trainers read them through `InteractionSource`.
public protocol SessionSink: AnyObject {
    @discardableResult func append(_ log: SessionLog) throws -> Int
    func flush() throws
}
