using ContinuumControl.Runtime.Admission;

namespace ContinuumControl.Runtime.Binary;

/// <summary>A function body split into its local declarations and its instruction bytes.</summary>
internal sealed record FunctionBody(byte[] Locals, byte[] Code);

/// <summary>Reads and writes the code section as a list of function bodies.</summary>
internal static class CodeSection
{
    public static List<FunctionBody> Read(byte[] payload)
    {
        var r = new WasmReader(payload);
        var bodies = new List<FunctionBody>();
        for (var n = r.ReadU32(); n > 0; n--)
        {
            var size = r.ReadU32();
            if (size > r.Length - r.Position)
            {
                throw new ModuleRejectedException("the module is malformed: a function body runs past the end of the code section");
            }
            var end = r.Position + (int)size;
            var localsStart = r.Position;
            for (var groups = r.ReadU32(); groups > 0; groups--)
            {
                r.ReadU32();
                var type = r.ReadByte();
                if (type is 0x63 or 0x64)
                {
                    r.ReadSigned(33);
                }
            }
            var localsEnd = r.Position;
            if (localsEnd > end)
            {
                throw new ModuleRejectedException("the module is malformed: a function's local declarations run past the end of its body");
            }
            var locals = payload.AsSpan(localsStart, localsEnd - localsStart).ToArray();
            var code = payload.AsSpan(localsEnd, end - localsEnd).ToArray();
            r.Position = end;
            bodies.Add(new FunctionBody(locals, code));
        }
        return bodies;
    }

    public static byte[] Write(IReadOnlyList<FunctionBody> bodies)
    {
        var writer = new WasmWriter().U32((uint)bodies.Count);
        foreach (var body in bodies)
        {
            writer.U32((uint)(body.Locals.Length + body.Code.Length)).Bytes(body.Locals).Bytes(body.Code);
        }
        return writer.ToArray();
    }
}
