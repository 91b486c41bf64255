namespace Backprop.Numerics.Threading;

/// <summary>Work that every member of a <see cref="ThreadTeam"/> runs its own share of.</summary>
internal interface ITeamTask
{
    /// <summary>Runs the share of member <paramref name="member"/> of <paramref name="members"/> (0 is the calling thread).</summary>
    void Execute(int member, int members);
}
