"""Cases: intake, the closed-loop workflow, time limits and lights, patrols and household visits."""
