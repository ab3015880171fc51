using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.Serialization;

namespace Bulwark.Actors.Tests.Serialization;

/// <summary>Nothing of ours reaches Akka's default Newtonsoft serializer, and everything that
/// crosses a process boundary comes back equal from its manifest and bytes.</summary>
public sealed partial class WireContractTests(SerializationSystem akka) : IClassFixture<SerializationSystem>
{
    private static readonly Assembly Contracts = typeof(IWireContract).Assembly;

    /// <summary>Every concrete wire contract, and every public record of the assembly (a record
    /// is what a message looks like, so one without the marker is a message that would fall
    /// back to Newtonsoft).</summary>
    public static IEnumerable<Type> ContractTypes() =>
        Contracts.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && (typeof(IWireContract).IsAssignableFrom(t) || IsRecord(t)));

    public static TheoryData<string> Manifests() => new(WireManifests.Entries.Select(e => e.Manifest));

    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null;

    [Fact]
    public void Every_public_record_of_the_contracts_is_a_wire_contract_with_a_manifest()
    {
        var types = ContractTypes().ToList();
        var listed = WireManifests.Entries.Select(e => e.Type).ToHashSet();

        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.True(typeof(IWireContract).IsAssignableFrom(t), $"{t} is not an IWireContract"));
        Assert.All(types, t => Assert.True(listed.Contains(t), $"{t} has no entry in WireManifests"));
        Assert.Equal(listed.OrderBy(t => t.FullName), types.OrderBy(t => t.FullName));
    }

    [Fact]
    public void The_manifest_table_has_no_duplicate_manifest_nor_type()
    {
        var manifests = WireManifests.Entries.Select(e => e.Manifest).ToList();
        var types = WireManifests.Entries.Select(e => e.Type).ToList();

        Assert.Equal(manifests.Count, manifests.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(types.Count, types.Distinct().Count());
    }

    [Fact]
    public void No_manifest_names_a_clr_type()
    {
        // Lower-case words and hyphens: no namespace dot, no assembly comma, no C# casing.
        Assert.All(WireManifests.Entries, e => Assert.Matches(ManifestShape(), e.Manifest));
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Each_contract_round_trips_through_akka_serialization_by_its_manifest(string manifest)
    {
        var type = WireManifests.TypeOf(manifest);
        for (var variant = 0; variant < WireSamples.VariantCount; variant++)
        {
            var sample = WireSamples.Create(type, variant);

            var (identifier, written, bytes) = akka.Write(sample);
            var back = akka.Read(identifier, written, bytes);

            Assert.IsType<BulwarkSerializer>(akka.Serialization.FindSerializerFor(sample));
            Assert.Equal(BulwarkSerializer.Id, identifier);
            Assert.Equal(manifest, written);
            Assert.Equal(sample, back);
        }
    }

    [Fact]
    public void Every_serialized_property_has_a_fixed_json_name()
    {
        foreach (var type in ContractTypes())
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
                .ToList();
            var names = properties.Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name).ToList();

            foreach (var (property, name) in properties.Zip(names))
                Assert.True(name is not null, $"{type.Name}.{property.Name} has no JsonPropertyName");
            Assert.Equal(names.Count, names.Distinct().Count());
        }
    }

    [Fact]
    public void An_unknown_manifest_is_refused()
    {
        var e = Assert.ThrowsAny<Exception>(() => akka.Read(BulwarkSerializer.Id, "ip-from-the-future", "{}"u8.ToArray()));
        Assert.Contains("ip-from-the-future", e.Message);
    }

    [Fact]
    public void A_type_outside_the_table_is_refused_rather_than_written_without_a_manifest()
    {
        var serializer = akka.Serialization.FindSerializerForType(typeof(IpBlocked));

        Assert.ThrowsAny<Exception>(() => serializer.ToBinary("not a contract"));
    }

    [GeneratedRegex("^[a-z]+(-[a-z]+)*$")]
    private static partial Regex ManifestShape();
}
