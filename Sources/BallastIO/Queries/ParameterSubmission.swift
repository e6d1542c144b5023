import Foundation

/// The body of `POST /v1/parameters`: `{"version": 3, "effective": "2026-01-01T00:00:00Z", "document": {…}, "id": "…"}`
/// (`effective` defaults to now, `id` to `parameters-v<version>`), turned into the `parameters` event it stands for.
public enum ParameterSubmission {
    /// The event JSON of a parameter-change body.
    /// - Throws: ``InputError`` naming the member.
    public static func eventJSON(from body: Data, now: String) throws(InputError) -> Data {
        let input: Input = try StrictJSON.decode(body)
        let event = Event(id: input.id ?? "parameters-v\(input.version)", version: input.version, effective: input.effective ?? now,
                          document: input.document)
        do {
            return try JSONEncoder().encode(event)
        } catch {
            throw InputError(path: "(document)", message: "cannot be re-encoded: \(error)")
        }
    }

    private struct Input: Decodable {
        var version: Int
        var effective: String?
        var document: JSONValue
        var id: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case version, effective, document, id }

        init(from decoder: any Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            version = try c.decodeWhole(Int.self, forKey: .version)
            effective = try c.decodeIfPresent(String.self, forKey: .effective)
            document = try c.decode(JSONValue.self, forKey: .document)
            id = try c.decodeIfPresent(String.self, forKey: .id)
        }
    }

    private struct Event: Encodable {
        var id: String
        var type = "parameters"
        var version: Int
        var effective: String
        var document: JSONValue
    }
}
