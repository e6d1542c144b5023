import ArgumentParser
import BallastServer
import Foundation

/// `ballast keys`: API keys of the service (stored hashed in DATA/keys.json).
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke the service's API keys.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// `ballast keys create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key and print it (it is shown once; only its SHA-256 digest is stored).",
            discussion: """
                An admin key submits events and parameter changes and reads everything; an account key reads and
                simulates only its account (and the other members of its margin group). A running service accepts
                a new key at once.

                Examples:
                  ballast keys create --admin --label ops
                  ballast keys create --account alice
                """
        )

        @Option(help: "The data directory of the service.")
        var data: String = "ballast-data"

        @Flag(help: "An admin key.")
        var admin = false

        @Option(help: "The account of an account key.")
        var account: String?

        @Option(help: "A note on who holds the key.")
        var label: String?

        func run() throws {
            guard admin != (account != nil) else { return try fail("give either --admin or --account ID", code: 2) }
            do {
                let (key, record) = try APIKeyStore(directory: data).create(role: admin ? .admin : .account, account: account, label: label)
                print(key)
                FileHandle.standardError.write(Data("created \(record.role.rawValue) key \(record.id)\(record.account.map { " for account \($0)" } ?? "")\n".utf8))
            } catch {
                return try fail(error.description, code: 1)
            }
        }
    }

    /// `ballast keys list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys (ids, roles, accounts; never the secrets).")

        @Option(help: "The data directory of the service.")
        var data: String = "ballast-data"

        func run() throws {
            do {
                for record in try APIKeyStore(directory: data).records() {
                    print("\(record.id)  \(record.role.rawValue)\(record.account.map { "  account \($0)" } ?? "")  created \(record.created)"
                          + (record.label.map { "  \($0)" } ?? ""))
                }
            } catch {
                return try fail(error.description, code: 1)
            }
        }
    }

    /// `ballast keys revoke`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id (a running service refuses it at once).")

        @Option(help: "The data directory of the service.")
        var data: String = "ballast-data"

        @Argument(help: "The key id (16 hex digits, as `keys list` prints).")
        var id: String

        func run() throws {
            let revoked: Bool
            do {
                revoked = try APIKeyStore(directory: data).revoke(id: id)
            } catch {
                return try fail(error.description, code: 1)
            }
            guard revoked else { return try fail("no key \(id)", code: 1) }
            print("revoked \(id)")
        }
    }
}
