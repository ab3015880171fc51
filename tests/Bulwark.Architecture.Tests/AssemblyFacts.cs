using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Bulwark.Architecture.Tests;

/// <summary>
/// What one compiled assembly uses, read from its metadata without loading it: the assemblies
/// it references, the types it names, the members it calls, and the base types of the types it
/// declares. Metadata shows every use the compiler kept, however the source spelt it.
/// </summary>
public sealed class AssemblyFacts
{
    private AssemblyFacts(string name, IReadOnlySet<string> references, IReadOnlySet<string> types,
        IReadOnlySet<string> members, IReadOnlyList<(string Type, string BaseType)> declared)
    {
        Name = name;
        References = references;
        Types = types;
        Members = members;
        Declared = declared;
    }

    public string Name { get; }

    /// <summary>Names of the referenced assemblies.</summary>
    public IReadOnlySet<string> References { get; }

    /// <summary>Full names ("Namespace.Type") of the types it refers to in other assemblies.</summary>
    public IReadOnlySet<string> Types { get; }

    /// <summary>"Namespace.Type::Member" for every member of another assembly it refers to.</summary>
    public IReadOnlySet<string> Members { get; }

    /// <summary>The types it declares, each with its base type's full name ("" for none).</summary>
    public IReadOnlyList<(string Type, string BaseType)> Declared { get; }

    /// <summary>The Bulwark assemblies it references.</summary>
    public IEnumerable<string> BulwarkReferences => References.Where(r => r.StartsWith("Bulwark.", StringComparison.Ordinal) || r == "bulwark");

    private static readonly Dictionary<string, AssemblyFacts> Cache = new();

    /// <summary>The assembly file of that name in the test's output folder ("bulwark" is the node).</summary>
    public static AssemblyFacts Of(string assemblyName)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(assemblyName, out var known)) return known;
            var path = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
            if (!File.Exists(path)) throw new FileNotFoundException($"{assemblyName}.dll is not in the test output; reference its project", path);
            return Cache[assemblyName] = Read(assemblyName, path);
        }
    }

    private static AssemblyFacts Read(string name, string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var references = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToHashSet(StringComparer.Ordinal);
        var types = md.TypeReferences.Select(h => TypeName(md, h)).ToHashSet(StringComparer.Ordinal);
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in md.MemberReferences)
        {
            var member = md.GetMemberReference(handle);
            var parent = member.Parent.Kind switch
            {
                HandleKind.TypeReference => TypeName(md, (TypeReferenceHandle)member.Parent),
                HandleKind.TypeSpecification => GenericTypeName(md, (TypeSpecificationHandle)member.Parent),
                _ => null,
            };
            if (parent is not null) members.Add(parent + "::" + md.GetString(member.Name));
        }
        var declared = md.TypeDefinitions.Select(h =>
        {
            var type = md.GetTypeDefinition(h);
            var full = Join(md.GetString(type.Namespace), md.GetString(type.Name));
            var baseName = type.BaseType.IsNil ? "" : type.BaseType.Kind switch
            {
                HandleKind.TypeReference => TypeName(md, (TypeReferenceHandle)type.BaseType),
                HandleKind.TypeDefinition => DefinitionName(md, (TypeDefinitionHandle)type.BaseType),
                HandleKind.TypeSpecification => GenericTypeName(md, (TypeSpecificationHandle)type.BaseType) ?? "",
                _ => "",
            };
            return (full, baseName);
        }).ToList();
        return new AssemblyFacts(name, references, types, members, declared);
    }

    private static string TypeName(MetadataReader md, TypeReferenceHandle handle)
    {
        var type = md.GetTypeReference(handle);
        // A nested type's scope is its declaring type.
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            return TypeName(md, (TypeReferenceHandle)type.ResolutionScope) + "+" + md.GetString(type.Name);
        return Join(md.GetString(type.Namespace), md.GetString(type.Name));
    }

    private static string DefinitionName(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        return Join(md.GetString(type.Namespace), md.GetString(type.Name));
    }

    /// <summary>The generic type a specification instantiates ("List`1" of List&lt;int&gt;).</summary>
    private static string? GenericTypeName(MetadataReader md, TypeSpecificationHandle handle)
    {
        var blob = md.GetBlobReader(md.GetTypeSpecification(handle).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
        blob.ReadSignatureTypeCode();
        var generic = blob.ReadTypeHandle();
        return generic.Kind == HandleKind.TypeReference ? TypeName(md, (TypeReferenceHandle)generic) : null;
    }

    private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
}
