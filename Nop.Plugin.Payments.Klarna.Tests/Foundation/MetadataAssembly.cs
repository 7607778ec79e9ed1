using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// Reads an assembly's identity and references from its metadata, without loading it
/// </summary>
public sealed class MetadataAssembly
{
    public MetadataAssembly(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();

        Name = reader.GetAssemblyDefinition().GetAssemblyName();
        References = reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h).GetAssemblyName()).ToList();
    }

    public AssemblyName Name { get; }

    public IReadOnlyList<AssemblyName> References { get; }
}
