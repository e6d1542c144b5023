/// Tables of powers of ten, so that scale changes never call `pow`.
enum PowersOfTen {
    private static let int128Table: [Int128] = {
        var table: [Int128] = [1]
        for _ in 1...38 { table.append(table[table.count - 1] * 10) }
        return table
    }()

    private static let doubleTable: [Double] = (0...38).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// 10^exponent as an `Int128`, for 0 ≤ exponent ≤ 38.
    static func int128(_ exponent: Int) -> Int128 { int128Table[exponent] }

    /// 10^exponent as the nearest `Double`, for 0 ≤ exponent ≤ 38 (exact up to 10^22).
    static func double(_ exponent: Int) -> Double { doubleTable[exponent] }
}
