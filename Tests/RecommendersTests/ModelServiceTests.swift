import Core
import Foundation
import Testing
@testable import Recommenders

/// Models kept in memory, newest by (trainedAt, id) as the database orders them.
final class MemoryModels: ModelRepository, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var rows: [ModelRecord] = []
    var location: String { "memory" }

    func saveModel(_ record: ModelRecord) throws -> Int64 {
        lock.withLock {
            var record = record
            record.id = Int64(rows.count + 1)
            rows.append(record)
            return record.id!
        }
    }

    func newestModel(strategy: String, catalogFingerprint: String) throws -> ModelRecord? {
        lock.withLock {
            rows.filter { $0.strategy == strategy && $0.catalogFingerprint == catalogFingerprint }
                .max { ($0.trainedAt, $0.id!) < ($1.trainedAt, $1.id!) }
        }
    }

    func corrupt(_ id: Int64, trainedAt: Double? = nil) {
        lock.withLock {
            rows[Int(id) - 1].blob = Data([0, 1, 2, 3])
            if let trainedAt { rows[Int(id) - 1].trainedAt = trainedAt }
        }
    }
}

@Suite struct ModelServiceTests {
    let catalog = makeCatalog(count: 60)
    var sessions: [ListeningSession] { groupedSessions(catalog: catalog, groups: 3, sessions: 40) }

    @Test func trainsStoresAndLoadsTheNewestModel() throws {
        let store = MemoryModels()
        let service = ModelService(store: store)
        let als = try StrategyRegistry.standard.strategy(named: "als")
        let stored = try service.train(als, from: InMemoryInteractions(sessions), catalog: catalog,
                                       options: TrainingOptions(factors: 4, iterations: 2, threads: 1))
        #expect(stored.id == 1 && stored.bytes == store.rows[0].blob.count && stored.model.sessionCount == 40)
        #expect(store.rows[0].sessionRange == 1...40)
        // One format: JSONEncoder, sorted keys.
        let params = try #require(try JSONSerialization.jsonObject(with: Data(store.rows[0].params.utf8)) as? [String: Double])
        #expect(params["factors"] == 4 && params["iterations"] == 2)
        #expect(store.rows[0].params.hasPrefix("{\"alpha\":"))
        #expect(try service.newest("als", catalogFingerprint: catalog.fingerprint) == stored.model)
        #expect(try service.newest("als", catalogFingerprint: "other") == nil)
        #expect(try service.models(["als", "markov"], catalogFingerprint: catalog.fingerprint).keys.sorted() == ["als"])
        guard case .trained(let record, _) = service.state(of: "als", catalogFingerprint: catalog.fingerprint) else {
            Issue.record("not trained")
            return
        }
        #expect(record.id == 1)
        #expect(service.state(of: "markov", catalogFingerprint: catalog.fingerprint) == .notTrained)
        #expect(throws: InputError.self) { try service.train(StrategyRegistry.standard.strategy(named: "random"), sessions: sessions, catalog: catalog) }
    }

    @Test func anUnreadableModelIsAnErrorNamingTheRowAndTheRemedy() throws {
        let store = MemoryModels()
        let service = ModelService(store: store)
        let markov = try StrategyRegistry.standard.strategy(named: "markov")
        let first = try service.train(markov, sessions: sessions, catalog: catalog)
        store.corrupt(first.id)
        do {
            _ = try service.newest("markov", catalogFingerprint: catalog.fingerprint)
            Issue.record("a corrupt model loaded")
        } catch let error as InputError {
            #expect(error.file == "markov model #1 in memory")
            #expect(error.problem.hasSuffix("retrain with 'botify train markov'"), "\(error)")
        }
        #expect(throws: InputError.self) { try service.models(["markov"], catalogFingerprint: catalog.fingerprint) }
        guard case .unreadable(let id, let error) = service.state(of: "markov", catalogFingerprint: catalog.fingerprint) else {
            Issue.record("not unreadable")
            return
        }
        #expect(id == 1 && !error.problem.contains("botify train"))
        // Retraining stores a newer model, which is what loads from then on.
        let second = try service.train(markov, sessions: sessions, catalog: catalog)
        #expect(try service.newest("markov", catalogFingerprint: catalog.fingerprint) == second.model)
        // A corrupt row dated later would shadow every new model: training says so.
        store.corrupt(second.id, trainedAt: 1e12)
        do {
            _ = try service.train(markov, sessions: sessions, catalog: catalog)
            Issue.record("trained although a newer unreadable model shadows it")
        } catch {
            #expect("\(error)".contains("markov model #2 in memory") && "\(error)".contains("dated later"), "\(error)")
        }
    }
}
