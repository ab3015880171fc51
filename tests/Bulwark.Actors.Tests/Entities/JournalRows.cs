using Microsoft.Data.Sqlite;

namespace Bulwark.Actors.Tests.Entities;

/// <summary>One row of the SQL plugin's journal table, as stored.</summary>
public sealed record JournalRow(long Ordering, string PersistenceId, long SequenceNr, bool Deleted, int? Identifier, string? Manifest);

/// <summary>One row of the snapshot table, as stored.</summary>
public sealed record SnapshotRow(string PersistenceId, long SequenceNr, int? SerializerId, string? Manifest, byte[] Bytes);

/// <summary>
/// Reads the SQLite file of a test journal directly, to see what the plugin really stores
/// (deleted flags, tags, identifiers and manifests), beside what Akka's queries return.
/// </summary>
public static class JournalRows
{
    private static SqliteConnection Open(string database)
    {
        // No pooling: the temp directory must be deletable once the test ends.
        var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    public static IReadOnlyList<JournalRow> Events(string database, string? persistenceId = null)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT ordering, persistence_id, sequence_number, deleted, identifier, manifest FROM journal
            WHERE $pid IS NULL OR persistence_id = $pid ORDER BY ordering
            """;
        command.Parameters.AddWithValue("$pid", (object?)persistenceId ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<JournalRow>();
        while (reader.Read())
            rows.Add(new JournalRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        return rows;
    }

    public static IReadOnlyList<SnapshotRow> Snapshots(string database, string persistenceId)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT persistence_id, sequence_number, serializer_id, manifest, snapshot FROM snapshot
            WHERE persistence_id = $pid ORDER BY sequence_number
            """;
        command.Parameters.AddWithValue("$pid", persistenceId);
        using var reader = command.ExecuteReader();
        var rows = new List<SnapshotRow>();
        while (reader.Read())
            rows.Add(new SnapshotRow(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), (byte[])reader.GetValue(4)));
        return rows;
    }

    /// <summary>Sequence numbers of the persistence id that still have a row in the tags table.</summary>
    public static IReadOnlyList<long> TaggedSequenceNrs(string database, string persistenceId, string tag)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence_nr FROM tags WHERE persistence_id = $pid AND tag = $tag ORDER BY sequence_nr";
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$tag", tag);
        using var reader = command.ExecuteReader();
        var rows = new List<long>();
        while (reader.Read())
            rows.Add(reader.GetInt64(0));
        return rows;
    }
}
