namespace ContinuumControl.Runtime.Admission;

/// <summary>What admission learned about a module.</summary>
/// <param name="Hash">Lower-case hex SHA-256 of the bytes.</param>
/// <param name="Imports">Host imports needed, as "module.name".</param>
/// <param name="ImportModules">Distinct import module names, the host capabilities a node must offer.</param>
public sealed record ModuleInspection(string Hash, IReadOnlyList<string> Imports, IReadOnlyList<string> ImportModules);
