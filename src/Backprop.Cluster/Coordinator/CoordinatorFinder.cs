using Akka.Actor;
using Akka.Cluster;

namespace Backprop.Cluster.Coordinator;

/// <summary>
/// How a node that serves a job (a worker, a parameter-server node) finds the job's coordinator:
/// it registers with the first member of the coordinator role to come up, registers again every
/// 2 s until the coordinator answers (a registration sent while the coordinator is still starting
/// its job may get no answer), and is sent <see cref="GiveUp"/> if no answer has come within the
/// join timeout. One actor owns it and calls it only from its own mailbox.
/// </summary>
internal sealed class CoordinatorFinder
{
    private const string RegisterTimer = "coordinator-finder.register";
    private const string GiveUpTimer = "coordinator-finder.give-up";
    private static readonly TimeSpan RegisterEvery = TimeSpan.FromSeconds(2);
    private readonly ActorSystem _system;
    private readonly IActorRef _self;
    private readonly ITimerScheduler _timers;
    private readonly Func<object> _registration;

    /// <summary>A finder for the actor <paramref name="self"/>, whose timers it sets.</summary>
    /// <param name="system">The node's actor system.</param>
    /// <param name="self">The owning actor, the sender of its registrations and the receiver of its timers.</param>
    /// <param name="timers">The owning actor's timers.</param>
    /// <param name="registration">The message to register with, made afresh for each attempt.</param>
    public CoordinatorFinder(ActorSystem system, IActorRef self, ITimerScheduler timers, Func<object> registration)
    {
        _system = system;
        _self = self;
        _timers = timers;
        _registration = registration;
    }

    /// <summary>The coordinator's node: the one registered with, then the one that answered; null until one came up.</summary>
    public Address? Coordinator { get; private set; }

    /// <summary>Starts the join timeout's clock; call it once the actor has subscribed to member events.</summary>
    public void Start(TimeSpan joinTimeout) => _timers.StartSingleTimer(GiveUpTimer, GiveUp.Instance, joinTimeout);

    /// <summary>A member came up: the first coordinator among them is registered with.</summary>
    public void OnMemberUp(Member member)
    {
        if (member.HasRole("coordinator") && Coordinator is null)
        {
            Coordinator = member.Address;
            Register();
        }
    }

    /// <summary>Registers with the coordinator found, if any, and again in 2 s unless it answers first.</summary>
    public void Register()
    {
        if (Coordinator is null)
        {
            return;
        }

        _system.ActorSelection(new RootActorPath(Coordinator) / "user" / CoordinatorActor.Name).Tell(_registration(), _self);
        _timers.StartSingleTimer(RegisterTimer, RegisterAgain.Instance, RegisterEvery);
    }

    /// <summary>
    /// The coordinator answered from <paramref name="at"/>: no more registrations and no give-up.
    /// It may live on another node than the one registered with (with standby coordinators, a
    /// coordinator node's proxy forwards a registration to the active one).
    /// </summary>
    public void Answered(Address at)
    {
        _timers.Cancel(RegisterTimer);
        _timers.Cancel(GiveUpTimer);
        Coordinator = at.HasGlobalScope ? at : Coordinator;
    }

    /// <summary>Sent to the owner when it is time to register again.</summary>
    public sealed record RegisterAgain
    {
        /// <summary>The single instance.</summary>
        public static readonly RegisterAgain Instance = new();

        private RegisterAgain()
        {
        }
    }

    /// <summary>Sent to the owner when no coordinator answered within the join timeout.</summary>
    public sealed record GiveUp
    {
        /// <summary>The single instance.</summary>
        public static readonly GiveUp Instance = new();

        private GiveUp()
        {
        }
    }
}
