using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace ContinuumControl.Server.Tests.Architecture;

/// <summary>
/// Which types each type of an assembly refers to, read from its metadata and IL: base types, interfaces, field and
/// method signatures, locals, and every type, method or field token in method bodies (so a static call or a
/// <c>new</c> counts, not only what a constructor takes). Nested and compiler-generated types count as their outermost
/// type. Constants are inlined by the compiler and leave no reference.
/// </summary>
public static class TypeReferences
{
    /// <summary>Pairs of full type names (outermost types), referring type first.</summary>
    public static HashSet<(string From, string To)> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var names = new Names(md);
        var edges = new HashSet<(string, string)>();
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            var from = names.Of(handle);
            void Add(IEnumerable<string> targets)
            {
                foreach (var to in targets)
                {
                    edges.Add((from, to));
                }
            }
            if (!type.BaseType.IsNil)
            {
                Add(names.Of(type.BaseType));
            }
            foreach (var i in type.GetInterfaceImplementations())
            {
                Add(names.Of(md.GetInterfaceImplementation(i).Interface));
            }
            foreach (var f in type.GetFields())
            {
                Add(names.InSignature(md.GetFieldDefinition(f).Signature));
            }
            foreach (var m in type.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                Add(names.InSignature(method.Signature));
                if (method.RelativeVirtualAddress != 0)
                {
                    var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                    if (!body.LocalSignature.IsNil)
                    {
                        Add(names.InSignature(md.GetStandaloneSignature(body.LocalSignature).Signature));
                    }
                    foreach (var token in Tokens(body.GetILReader()))
                    {
                        Add(names.Of(MetadataTokens.EntityHandle(token)));
                    }
                }
            }
        }
        return edges;
    }

    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    /// <summary>The metadata tokens that a method body's instructions name.</summary>
    private static List<int> Tokens(BlobReader il)
    {
        var tokens = new List<int>();
        while (il.RemainingBytes > 0)
        {
            int op = il.ReadByte();
            if (op == 0xFE)
            {
                op = unchecked((short)(0xFE00 | il.ReadByte()));
            }
            switch (Operands[(short)op])
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    tokens.Add(il.ReadInt32());
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
        return tokens;
    }

    private sealed class Names(MetadataReader md) : ISignatureTypeProvider<ImmutableArray<string>, object?>
    {
        public string Of(TypeDefinitionHandle handle)
        {
            var type = md.GetTypeDefinition(handle);
            while (type.GetDeclaringType() is { IsNil: false } outer)
            {
                type = md.GetTypeDefinition(outer);
            }
            return Full(md.GetString(type.Namespace), md.GetString(type.Name));
        }

        private string Of(TypeReferenceHandle handle)
        {
            var type = md.GetTypeReference(handle);
            while (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                type = md.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
            }
            return Full(md.GetString(type.Namespace), md.GetString(type.Name));
        }

        private static string Full(string ns, string name) => ns.Length == 0 ? name : $"{ns}.{name}";

        public IEnumerable<string> Of(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => [Of((TypeDefinitionHandle)handle)],
            HandleKind.TypeReference => [Of((TypeReferenceHandle)handle)],
            HandleKind.TypeSpecification => Decode(md.GetTypeSpecification((TypeSpecificationHandle)handle).Signature),
            HandleKind.MethodDefinition => [Of(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()), .. InSignature(md.GetMethodDefinition((MethodDefinitionHandle)handle).Signature)],
            HandleKind.FieldDefinition => [Of(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()), .. InSignature(md.GetFieldDefinition((FieldDefinitionHandle)handle).Signature)],
            HandleKind.MemberReference => [.. Of(md.GetMemberReference((MemberReferenceHandle)handle).Parent), .. InSignature(md.GetMemberReference((MemberReferenceHandle)handle).Signature)],
            HandleKind.MethodSpecification => [.. Of(md.GetMethodSpecification((MethodSpecificationHandle)handle).Method), .. InSignature(md.GetMethodSpecification((MethodSpecificationHandle)handle).Signature)],
            _ => [],
        };

        public IEnumerable<string> InSignature(BlobHandle blob)
        {
            var decoder = new SignatureDecoder<ImmutableArray<string>, object?>(this, md, null);
            var reader = md.GetBlobReader(blob);
            var kind = reader.ReadSignatureHeader().Kind;
            reader.Reset();
            switch (kind)
            {
                case SignatureKind.Method or SignatureKind.Property:
                    var method = decoder.DecodeMethodSignature(ref reader);
                    return [.. method.ReturnType, .. method.ParameterTypes.SelectMany(p => p)];
                case SignatureKind.Field:
                    return decoder.DecodeFieldSignature(ref reader);
                case SignatureKind.LocalVariables:
                    return decoder.DecodeLocalSignature(ref reader).SelectMany(l => l);
                case SignatureKind.MethodSpecification:
                    return decoder.DecodeMethodSpecificationSignature(ref reader).SelectMany(t => t);
                default:
                    return [];
            }
        }

        private ImmutableArray<string> Decode(BlobHandle blob)
        {
            var reader = md.GetBlobReader(blob);
            return new SignatureDecoder<ImmutableArray<string>, object?>(this, md, null).DecodeType(ref reader);
        }

        public ImmutableArray<string> GetArrayType(ImmutableArray<string> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<string> GetByReferenceType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetFunctionPointerType(MethodSignature<ImmutableArray<string>> signature) => [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];
        public ImmutableArray<string> GetGenericInstantiation(ImmutableArray<string> genericType, ImmutableArray<ImmutableArray<string>> typeArguments) => [.. genericType, .. typeArguments.SelectMany(a => a)];
        public ImmutableArray<string> GetGenericMethodParameter(object? genericContext, int index) => [];
        public ImmutableArray<string> GetGenericTypeParameter(object? genericContext, int index) => [];
        public ImmutableArray<string> GetModifiedType(ImmutableArray<string> modifier, ImmutableArray<string> unmodifiedType, bool isRequired) => unmodifiedType;
        public ImmutableArray<string> GetPinnedType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetPointerType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
        public ImmutableArray<string> GetSZArrayType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [Of(handle)];
        public ImmutableArray<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [Of(handle)];
        public ImmutableArray<string> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => Decode(reader.GetTypeSpecification(handle).Signature);
    }
}
