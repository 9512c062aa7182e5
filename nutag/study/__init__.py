"""Study and branch life: courses, lessons, progress, quizzes; 三会一课 records; points."""
